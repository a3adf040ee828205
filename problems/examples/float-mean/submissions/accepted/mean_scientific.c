/* Float Mean: prints the mean in scientific notation ("2.3333333333e+00"),
 * which the default output validator accepts with a float tolerance. */
#include <stdio.h>

int main(void)
{
    int n;
    if (scanf("%d", &n) != 1 || n < 1)
        return 1;
    double sum = 0;
    for (int i = 0; i < n; i++) {
        double x;
        if (scanf("%lf", &x) != 1)
            return 1;
        sum += x;
    }
    printf("%.10e\n", sum / n);
    return 0;
}
