namespace StarNet.LinearAlgebra.Distributed;

/// <summary>
/// Thrown by a collective of the in-process group when a rank failed or called <see cref="ICommunicator.Abort"/>,
/// so that the other ranks stop instead of waiting for it forever.
/// </summary>
public sealed class CommunicatorAbortedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    public CommunicatorAbortedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the failure that caused it.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="inner">The cause.</param>
    public CommunicatorAbortedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
