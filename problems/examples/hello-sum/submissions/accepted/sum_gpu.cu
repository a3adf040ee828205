// Hello Sum in CUDA C++: one GPU thread adds the two numbers. Runs only on
// a judge with an NVIDIA GPU; other judges skip this language.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void add(const long long *a, const long long *b, long long *sum)
{
    if (blockIdx.x == 0 && threadIdx.x == 0)
        *sum = *a + *b;
}

static int check(cudaError_t e, const char *what)
{
    if (e != cudaSuccess) {
        std::fprintf(stderr, "%s: %s\n", what, cudaGetErrorString(e));
        return 1;
    }
    return 0;
}

int main()
{
    long long h[3] = {0, 0, 0};
    if (std::scanf("%lld %lld", &h[0], &h[1]) != 2)
        return 1;
    long long *d = nullptr;
    if (check(cudaMalloc(&d, sizeof(h)), "cudaMalloc") ||
        check(cudaMemcpy(d, h, sizeof(h), cudaMemcpyHostToDevice), "cudaMemcpy to device"))
        return 1;
    add<<<1, 1>>>(d, d + 1, d + 2);
    if (check(cudaGetLastError(), "kernel launch") ||
        check(cudaMemcpy(&h[2], d + 2, sizeof(h[2]), cudaMemcpyDeviceToHost), "cudaMemcpy to host"))
        return 1;
    cudaFree(d);
    std::printf("%lld\n", h[2]);
    return 0;
}
