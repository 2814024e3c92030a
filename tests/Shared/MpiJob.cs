using System.Diagnostics;
using System.Runtime.InteropServices;

namespace StarNet.Testing;

/// <summary>
/// Launches a program under a real MPI launcher for the integration tests, and tells whether one is installed:
/// Open MPI (<c>mpirun</c> with <c>libmpi.so.40</c>) or MPICH (<c>mpirun.mpich</c> with <c>libmpich.so.12</c>).
/// </summary>
public static class MpiJob
{
    /// <summary>The per-job limit; a job that hangs fails its test instead of stalling the suite.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string? OpenMpiLauncher { get; } = Find("mpirun", "libmpi.so.40", "--version", "Open MPI");

    public static string? MpichLauncher { get; } = Find("mpirun.mpich", "libmpich.so.12", "--version", "HYDRA");

    /// <summary>The skip reason when the launcher is missing, else null.</summary>
    public static string? SkipUnless(string? launcher, string what) =>
        launcher is null ? $"{what} is not installed (Debian: apt-get install {(what == "Open MPI" ? "openmpi-bin" : "mpich")}); the mpirun integration test was skipped" : null;

    /// <summary>Runs <c>launcher -np ranks dotnet assembly args...</c> and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string launcher, int ranks, string assembly, params string[] arguments)
    {
        var start = new ProcessStartInfo(launcher)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-np");
        start.ArgumentList.Add(ranks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(DotnetHost());
        start.ArgumentList.Add(assembly);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Open MPI refuses root without both of these; oversubscription lets 2 ranks run on a 1-core runner.
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        start.Environment["OMPI_MCA_rmaps_base_oversubscribe"] = "1";
        start.Environment["TERM"] = "dumb";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{launcher} -np {ranks} {Path.GetFileName(assembly)} {string.Join(' ', arguments)} did not finish within {Timeout}:\n{stdout.Result}\n{stderr.Result}");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The dotnet executable running this test host, so that ranks use the same runtime.</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : "dotnet";

    private static string? Find(string launcher, string library, string versionFlag, string banner)
    {
        if (!NativeLibrary.TryLoad(library, out nint handle))
        {
            return null;
        }

        NativeLibrary.Free(handle);
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, launcher))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            return null;
        }

        try
        {
            using var probe = Process.Start(new ProcessStartInfo(path, versionFlag) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            string text = probe.StandardOutput.ReadToEnd() + probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            return text.Contains(banner, StringComparison.OrdinalIgnoreCase) ? path : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

/// <summary>A fact that runs only where Open MPI is installed, and says it was skipped otherwise.</summary>
public sealed class OpenMpiFactAttribute : FactAttribute
{
    public OpenMpiFactAttribute() => Skip = MpiJob.SkipUnless(MpiJob.OpenMpiLauncher, "Open MPI");
}

/// <summary>A fact that runs only where MPICH is installed (mpirun.mpich), and says it was skipped otherwise.</summary>
public sealed class MpichFactAttribute : FactAttribute
{
    public MpichFactAttribute() => Skip = MpiJob.SkipUnless(MpiJob.MpichLauncher, "MPICH");
}
