/*
 * Code labels (.L<N>) are numbered across the unit: a new function with
 * branches renumbers every label after it.
 */
#ifdef EXTRA_LABELS
int early(const int *p, int n)
{
	int i, sum = 0;

	for (i = 0; i < n; i++)
		sum += p[i] > 3 ? p[i] : -1;
	return sum;
}
#endif

int loop(const int *p, int n)
{
	int i, sum = 0;

	for (i = 0; i < n; i++) {
		if (p[i] > 1000)
			sum += p[i] * 3;
		else
			sum -= 7;
	}
	return sum;
}
