using Xunit.Abstractions;

namespace StarNet.LinearAlgebra.Tests.Distributed;

/// <summary>
/// The MPI communicator for real: two processes under mpirun run scenarios of the StarNet.Distributed.MpiHost
/// program (copied next to this assembly). Skipped, with the reason, where MPI is not installed.
/// </summary>
public class MpiIntegrationTests(ITestOutputHelper output)
{
    private static readonly string Host = Path.Combine(AppContext.BaseDirectory, "StarNet.Distributed.MpiHost.dll");

    [OpenMpiFact]
    public void Open_mpi_collectives_on_two_ranks() =>
        Expect(MpiJob.OpenMpiLauncher!, 2, 0, ["rank 0/2: ok", "rank 1/2: ok", "OpenMpi via libmpi.so.40"], "collectives");

    [OpenMpiFact]
    public void Open_mpi_distributed_normal_equations_equal_the_single_process_solve() =>
        Expect(MpiJob.OpenMpiLauncher!, 2, 0, ["rank 0/2: ok", "rank 1/2: ok", "NormalEquations on rows 1000..1999"], "solve", "ne");

    [OpenMpiFact]
    public void Open_mpi_tsqr_equals_the_single_process_solve() =>
        Expect(MpiJob.OpenMpiLauncher!, 2, 0, ["rank 0/2: ok", "rank 1/2: ok", "Tsqr on rows 0..999"], "solve", "tsqr");

    [OpenMpiFact]
    public void Open_mpi_a_failing_rank_is_reported_by_every_rank() =>
        Expect(MpiJob.OpenMpiLauncher!, 2, 1, ["rank 0/2: error: rank 1 failed: shard file missing", "rank 1/2: error: rank 1 failed: shard file missing"], "fail");

    [OpenMpiFact]
    public void Open_mpi_abort_ends_the_job_with_its_code() =>
        Expect(MpiJob.OpenMpiLauncher!, 2, 3, ["rank 1/2: aborting with 3"], "abort");

    [MpichFact]
    public void Mpich_collectives_and_tsqr_on_three_ranks()
    {
        Expect(MpiJob.MpichLauncher!, 2, 0, ["rank 0/2: ok", "rank 1/2: ok", "Mpich via libmpich.so.12"], "collectives");
        Expect(MpiJob.MpichLauncher!, 3, 0, ["rank 0/3: ok", "rank 1/3: ok", "rank 2/3: ok"], "solve", "tsqr");
    }

    private void Expect(string launcher, int ranks, int exitCode, string[] lines, params string[] arguments)
    {
        Assert.True(File.Exists(Host), $"{Host} is missing: the test project should copy the host program");
        (int code, string text) = MpiJob.Run(launcher, ranks, Host, arguments);
        output.WriteLine($"{launcher} -np {ranks} {string.Join(' ', arguments)} -> exit {code}\n{text}");
        Assert.Equal(exitCode, code);
        foreach (string line in lines)
        {
            Assert.Contains(line, text, StringComparison.Ordinal);
        }
    }
}
