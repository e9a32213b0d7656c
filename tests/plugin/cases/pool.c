/*
 * Floating-point constants come from the RTL constant pool (.LC<N>,
 * numbered across the unit): hashed by value.
 */
#ifndef SCALE
#define SCALE 3.25
#endif

#ifdef EXTRA_CONSTANT
double first(double v)
{
	return v * 1.5;
}
#endif

double scaled(double v)
{
	return v * SCALE;
}

double offset(double v)
{
	return v + 0.125;
}
