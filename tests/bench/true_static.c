/* true_static.c: the benchmark's payload, a static program that does nothing,
 * so a run's time is the cost of starting and isolating it. */
int main(void)
{
    return 0;
}
