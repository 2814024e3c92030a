using System.Globalization;

namespace StarNet.LinearAlgebra.Distributed.Mpi;

/// <summary>An MPI call returned an error code (only seen when the library's error handler returns errors).</summary>
public sealed class MpiException : Exception
{
    /// <summary>Creates the exception for <paramref name="call"/> failing with <paramref name="errorCode"/>.</summary>
    /// <param name="call">The MPI function.</param>
    /// <param name="errorCode">Its return value.</param>
    public MpiException(string call, int errorCode)
        : base(string.Create(CultureInfo.InvariantCulture, $"{call} failed with MPI error code {errorCode}."))
    {
        Call = call;
        ErrorCode = errorCode;
    }

    /// <summary>The MPI function that failed.</summary>
    public string Call { get; }

    /// <summary>The error code it returned.</summary>
    public int ErrorCode { get; }
}
