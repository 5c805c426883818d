using Lexicon.Kernels.Cpu;
using Lexicon.Kernels.Gpu;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Gpu;

/// <summary>--device: what is listed, what each name creates, and a one-line bad-input error for a device that is not
/// here.</summary>
public sealed class BackendsTests
{
    [Fact]
    public void The_cpu_backends_are_always_listed_and_usable()
    {
        var devices = Backends.List();
        Assert.Contains(devices, d => d.Backend == "cpu" && d.Usable);
        Assert.Contains(devices, d => d.Backend == "ilgpu-cpu" && d.Usable);
        Assert.All(devices.Where(d => d.Usable), d => Assert.Matches("^(cpu|ilgpu-cpu|cuda|opencl)(:[1-9][0-9]*)?$", d.Backend));
    }

    [Fact]
    public void Each_name_creates_its_backend()
    {
        using var cpu = Backends.Create("cpu");
        Assert.IsType<CpuKernels>(cpu);
        using var ilgpu = Backends.Create("ilgpu-cpu");
        var kernels = Assert.IsType<IlgpuKernels>(ilgpu);
        Assert.Equal("ilgpu-cpu", kernels.Name);
        Assert.True(kernels.CompileTime > TimeSpan.Zero);
    }

    [Fact]
    public void Without_device_it_is_cuda_if_there_is_one_else_cpu()
    {
        using var kernels = Backends.Create(null);
        Assert.Equal(Backends.List().Any(d => d.Usable && d.Backend == "cuda") ? "cuda" : "cpu", kernels.Name);
    }

    [Theory]
    [InlineData("cuda:7", "no usable CUDA device")]
    [InlineData("opencl:7", "no usable OpenCL device")]
    [InlineData("tpu", "not a backend")]
    public void A_device_that_is_not_here_is_bad_input(string device, string message)
    {
        var e = Assert.Throws<BadInputException>(() => Backends.Create(device));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_command_line_lists_devices_and_rejects_a_missing_one_with_exit_code_2()
    {
        var devices = CliRunner.Run("devices", "--json");
        Assert.True(devices.ExitCode == 0, devices.ToString());
        var listed = devices.Json["devices"]!.AsArray().Select(d => (string)d!["backend"]!).ToList();
        Assert.Contains("cpu", listed);
        Assert.Contains("ilgpu-cpu", listed);

        var bench = CliRunner.Run("bench", "--device", "cuda:7", "--json");
        Assert.True(bench.ExitCode == 2, bench.ToString());
        Assert.Contains("--device cuda:7", bench.Stderr);
        Assert.Single(bench.Stderr.Trim().Split('\n'));
    }
}
