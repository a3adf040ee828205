/* Wrong answer: the mean plus 1e-3, far outside the 1e-6 tolerance whenever
 * |mean| < 1000. */
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
    printf("%.9f\n", sum / n + 1e-3);
    return 0;
}
