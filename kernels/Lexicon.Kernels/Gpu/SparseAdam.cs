using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// Lazy Adam on the touched rows, one element per thread. The touched count stays on the device, so the kernels are
/// launched for the most rows there can be and read how many there are. One launch per table, its row range and rate
/// kernel scalars (tables are few, and uploading the rates would wait for the queued step); then a last kernel counts
/// the step of each touched row (distinct rows, so one writer each) after every element has read the old count.
/// </summary>
internal sealed class SparseAdam(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>,
        ArrayView<int>, int, Settings> _update =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>,
            ArrayView<int>, int, Settings>(Update);
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<int>, ArrayView<int>> _advance =
        accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>, ArrayView<int>>(Advance);

    /// <param name="touched">As long as the most rows there can be.</param>
    public void Run(ArrayView<float> table, ArrayView<float> moment1, ArrayView<float> moment2, ArrayView<int> rowSteps, ArrayView<int> touched,
        ArrayView<float> rowGrads, ArrayView<int> touchedCount, int d, TableAdam s)
    {
        var elements = launch.Elementwise(touched.Length * d);
        for (int t = 0; t < s.TableRowEnds.Length; t++)
        {
            var settings = new Settings(t == 0 ? 0 : s.TableRowEnds[t - 1], s.TableRowEnds[t], s.LearningRates[t], s.Beta1, s.Beta2, s.Epsilon);
            _update(elements, table, moment1, moment2, rowSteps, touched, rowGrads, touchedCount, d, settings);
        }
        _advance(launch.Elementwise(touched.Length), rowSteps, touched, touchedCount);
    }

    private static void Update(ArrayView<float> table, ArrayView<float> moment1, ArrayView<float> moment2, ArrayView<int> rowSteps,
        ArrayView<int> touched, ArrayView<float> rowGrads, ArrayView<int> touchedCount, int d, Settings s)
    {
        long entries = TouchedStride.Entries(touched, touchedCount, d);
        for (long e = GridStride.First; e < entries; e += GridStride.Step)
        {
            int row = touched[e / d], i = (int)(e % d);
            if (row < s.RowStart || row >= s.RowEnd) continue;
            int steps = rowSteps[row] + 1;
            float stepSize = s.LearningRate / OneMinusPower(s.Beta1, steps), inverseCorrection2 = 1 / OneMinusPower(s.Beta2, steps);
            long p = (long)row * d + i;
            float g = rowGrads[e];
            float m = s.Beta1 * moment1[p] + (1 - s.Beta1) * g;
            float v = s.Beta2 * moment2[p] + (1 - s.Beta2) * g * g;
            moment1[p] = m;
            moment2[p] = v;
            table[p] -= stepSize * m / (XMath.Sqrt(v * inverseCorrection2) + s.Epsilon);
        }
    }

    private static void Advance(ArrayView<int> rowSteps, ArrayView<int> touched, ArrayView<int> touchedCount)
    {
        long n = XMath.Min(touchedCount[0], touched.Length);
        for (long u = GridStride.First; u < n; u += GridStride.Step) rowSteps[touched[u]]++;
    }

    /// <summary>
    /// 1 − β^n as (1 − β)·(1 + β + … + β^(n−1)): 1 − β is exact in fp32 and the geometric sum, built by binary
    /// exponentiation, adds only positive terms, so the bias correction of a row's first steps (1 − 0.999 ≈ 1e-3) keeps
    /// full fp32 precision where 1 − pow(β, n) would lose three digits to cancellation — and no fp64 is needed, which
    /// some OpenCL devices lack.
    /// </summary>
    internal static float OneMinusPower(float beta, int n)
    {
        float power = 1, sum = 0; // β^done and Σ_{j<done} β^j over the bits of n consumed so far
        float blockPower = beta, blockSum = 1; // β^(2^k) and Σ_{j<2^k} β^j
        for (int rest = n; rest > 0; rest >>= 1)
        {
            if ((rest & 1) != 0)
            {
                sum += power * blockSum;
                power *= blockPower;
            }
            blockSum += blockPower * blockSum;
            blockPower *= blockPower;
        }
        return (1 - beta) * sum;
    }

    /// <summary>One table's rows [RowStart, RowEnd), its rate, and Adam's constants.</summary>
    internal readonly struct Settings(int rowStart, int rowEnd, float learningRate, float beta1, float beta2, float epsilon)
    {
        public readonly int RowStart = rowStart, RowEnd = rowEnd;
        public readonly float LearningRate = learningRate, Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon;
    }
}
