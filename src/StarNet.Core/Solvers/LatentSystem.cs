using System.Numerics;
using System.Numerics.Tensors;
using StarNet.LinearAlgebra;
using StarNet.Training;

namespace StarNet.Solvers;

/// <summary>
/// One layer's latent solve through the Householder QR of its weight W (Q^T, then R^-1: backward stable), for the
/// weights whose pseudo-inverse is not accurate enough (<see cref="LayerSolver.PseudoInverseIsAccurate{T}"/>):
/// h minimises <c>||W h - (t - b)||^2 + ridge ||h||^2</c> for every target t. The pseudo-inverse's error is
/// u kappa ||P|| ||t - b||, a factor kappa worse than this solve's for nearly consistent systems; a float weight of
/// condition 2.3e5 whose output cancels a bias of -3300 (fitted to nearly collinear latents) gave latent residuals of
/// 237 through the pseudo-inverse and 0.1 through this solve (docs/model.md, "Latent solve"). Thread-safe once
/// constructed: the factorization is only read.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class LatentSystem<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LeastSquaresSolver<T> _solver;
    private readonly T[] _bias;

    /// <summary>Factors W (d_out x d_in, d_out &gt;= d_in unless a ridge is given).</summary>
    /// <param name="weight">W.</param>
    /// <param name="bias">b, d_out values (copied).</param>
    /// <param name="ridge">Non-negative ridge.</param>
    /// <exception cref="InvalidOperationException">W is numerically rank deficient (the message says how).</exception>
    public LatentSystem(ReadOnlyMatrixSpan<T> weight, ReadOnlySpan<T> bias, double ridge)
    {
        _solver = LayerSolver.Factor(weight, SolverMethod.Qr, ridge, "the layer's weight W_i (latent solve)");
        _bias = bias.ToArray();
    }

    /// <summary>d_out, the length of a target.</summary>
    public int Outputs => _bias.Length;

    /// <summary>
    /// Rows of the scratch block for <see cref="SolveRows"/> over <paramref name="rows"/> targets of
    /// <paramref name="outputs"/> values: at least 2 d_out, so that the blocked solve takes its thin-Q path (one GEMM
    /// per block), and at least 1024, but no more than there are targets.
    /// </summary>
    public static int ScratchRows(int rows, int outputs) => Math.Min(rows, Math.Max(1024, 2 * outputs));

    /// <summary>
    /// H = argmin over the rows of <paramref name="h"/> for the rows of <paramref name="targets"/>, in blocks of
    /// <paramref name="scratch"/>'s row count (each block's <c>T - 1 b^T</c> is formed there, then solved as one
    /// blocked solve with many right-hand sides).
    /// </summary>
    /// <param name="targets">N x d_out targets t (pre-activations).</param>
    /// <param name="h">Receives N x d_in solutions.</param>
    /// <param name="scratch">At least one row of d_out columns; not overlapping the others.</param>
    /// <param name="cancellationToken">Checked before every block.</param>
    public void SolveRows(ReadOnlyMatrixSpan<T> targets, MatrixSpan<T> h, MatrixSpan<T> scratch, CancellationToken cancellationToken = default)
    {
        int block = scratch.Rows;
        for (int r0 = 0; r0 < targets.Rows; r0 += block)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(block, targets.Rows - r0);
            MatrixSpan<T> b = scratch.Slice(0, 0, rows, Outputs);
            for (int r = 0; r < rows; r++)
            {
                TensorPrimitives.Subtract(targets.Row(r0 + r), _bias, b.Row(r));
            }

            MatrixSpan<T> x = h.Slice(r0, 0, rows, h.Cols);
            if (rows == 1)
            {
                _solver.Solve(b.Row(0), x.Row(0));
            }
            else
            {
                _solver.SolveRows(b, x);
            }
        }
    }
}
