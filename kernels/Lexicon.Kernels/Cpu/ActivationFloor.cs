namespace Lexicon.Kernels.Cpu;

/// <summary>value[i] = value[i] ≥ floor ? value[i] : 0. A scalar loop: it runs over a selection (rows·k values), a
/// thousandth of the encoder's output, so vectors would buy nothing measurable.</summary>
public static unsafe class ActivationFloor
{
    public static void Run(float* value, long n, float floor)
    {
        for (long i = 0; i < n; i++)
            if (!(value[i] >= floor)) value[i] = 0;
    }
}
