using System.Numerics;
using StarNet.Model;

namespace StarNet.Training;

/// <summary>The linear baseline of a code size (<see cref="LinearBaseline"/>): its model and what it measured.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="Model">The identity-activation single layer <c>x = W z + b</c> (W with orthonormal columns, b the data mean), usable like any model (encode, decode, evaluate).</param>
/// <param name="CodeSize">d, the code size.</param>
/// <param name="TrainMse">MSE of the training data reconstructed by the model through inference (encode, then decode).</param>
/// <param name="TestMse">The same on the test data, when given.</param>
/// <param name="Iterations">Subspace iterations run.</param>
/// <param name="Seconds">Wall time of the fit (not of the evaluations).</param>
public sealed record LinearBaselineResult<T>(StarNetModel<T> Model, int CodeSize, double TrainMse, double? TestMse, int Iterations, double Seconds)
    where T : unmanaged, IFloatingPointIeee754<T>;
