using System.Reflection;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>Loads a CUDA kernel whose inline PTX's arguments ILGPU would leave in local memory, with them in registers
/// (<see cref="PtxLocalScalars"/>): the accelerator compiles it to PTX as <c>LoadStreamKernel</c> would, the text is
/// rewritten, and the accelerator loads the result. Other accelerators load it as compiled, through the same launcher.
/// ILGPU 1.5.3 has no public way to hand it PTX, so the compiled kernel's text is replaced through its (private) backing
/// field; a later ILGPU without it fails here, at start-up.</summary>
internal static class PtxKernels
{
    private static readonly FieldInfo? Assembly =
        typeof(PTXCompiledKernel).GetField("<PTXAssembly>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>The kernel's launcher, of type <typeparamref name="TLauncher"/>: an
    /// <c>Action&lt;AcceleratorStream, KernelConfig, …the kernel's parameters&gt;</c>.</summary>
    public static TLauncher Load<TLauncher>(Accelerator accelerator, MethodInfo kernel, KernelSpecialization specialization) where TLauncher : Delegate
    {
        var compiled = accelerator.CompileKernel(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), specialization);
        if (compiled is PTXCompiledKernel ptx) Rewrite(ptx);
        return accelerator.LoadKernel(compiled).CreateLauncherDelegate<TLauncher>();
    }

    /// <summary>The compiled kernel's PTX replaced by its rewrite, in place.</summary>
    internal static void Rewrite(PTXCompiledKernel compiled)
    {
        if (Assembly is null) throw new InvalidOperationException("this ILGPU's PTXCompiledKernel has no PTXAssembly backing field (written for ILGPU 1.5.3)");
        Assembly.SetValue(compiled, PtxLocalScalars.Rewrite(compiled.PTXAssembly).Ptx);
    }

    /// <summary>What <see cref="Load"/> gives CUDA: the kernel compiled for the architecture and ISA given, its PTX
    /// rewritten as <see cref="Load"/> rewrites it.</summary>
    public static string Ptx(PTXBackend backend, MethodInfo kernel, KernelSpecialization specialization)
    {
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), specialization);
        Rewrite(compiled);
        return compiled.PTXAssembly;
    }
}
