namespace StarNet.Data;

/// <summary>The on-disk format a <see cref="Dataset"/> was read from.</summary>
public enum DatasetFormat
{
    /// <summary>IDX files (MNIST, Fashion-MNIST, EMNIST).</summary>
    Idx,

    /// <summary>CIFAR-10 binary batches.</summary>
    Cifar10,

    /// <summary>SVHN cropped digits in MATLAB v5 <c>.mat</c> files.</summary>
    Svhn,

    /// <summary>A numpy <c>.npy</c> array.</summary>
    Npy,
}
