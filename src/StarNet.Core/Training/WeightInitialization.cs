namespace StarNet.Training;

/// <summary>How a layer's weights are initialised before its first latent solve.</summary>
public enum WeightInitialization
{
    /// <summary>Orthonormal columns: the Q factor of a Gaussian matrix (the paper's "orthogonal projection"), bias zero. Full column rank by construction. The default.</summary>
    Orthogonal = 0,

    /// <summary>Independent Gaussian entries with variance 1/d_i (columns of about unit norm), bias zero.</summary>
    Gaussian = 1,
}
