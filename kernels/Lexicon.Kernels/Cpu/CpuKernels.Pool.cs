namespace Lexicon.Kernels.Cpu;

public sealed unsafe partial class CpuKernels
{
    public void PoolDecode(View<int> index, View<float> value, int rows, int active, View<float> pool, int d, View<float> output)
    {
        ForgetPanelMaxima();
        Cpu.PoolDecode.Run(index.Need((long)rows * active, "index").Ptr(), value.Need((long)rows * active, "value").Ptr(), rows, active,
            pool.Ptr(), d, output.Need((long)rows * d, "output").Ptr());
    }

    public void PoolGrads(View<int> start, View<int> order, View<int> index, View<float> value, int active, int poolRows, View<float> grad, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount)
    {
        ForgetPanelMaxima();
        long entries = index.Length;
        Cpu.PoolGrads.Run(start.Need(poolRows + 1L, "start").Ptr(), order.Ptr(), index.Ptr(), value.Need(entries, "value").Ptr(), active, poolRows,
            grad.Need(entries / active * d, "grad").Ptr(), scale, d, touched.Need(entries, "touched").Ptr(), rowGrads.Need(entries * d, "rowGrads").Ptr(),
            touchedCount.Need(1, "touchedCount").Ptr());
    }
}
