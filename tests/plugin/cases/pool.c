/*
 * Floating-point constants come from the RTL constant pool (.LC<N>,
 * numbered across the unit): hashed by value.  0.1 and 1.1 are not
 * immediates on arm64 either (fmov takes 3.25 and 3.5).
 */
#ifndef SCALE
#define SCALE 3.25
#endif

#ifdef EXTRA_CONSTANT
double first(double v)
{
	return v * 1.1;
}
#endif

double scaled(double v)
{
	return v * SCALE;
}

double offset(double v)
{
	return v + 0.1;
}
