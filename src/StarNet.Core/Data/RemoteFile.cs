namespace StarNet.Data;

/// <summary>One file of a <see cref="DatasetSource"/>: its name under the base URL and its expected SHA-256.</summary>
/// <param name="FileName">The file name, appended to the source's base URL and used in the destination folder.</param>
/// <param name="Sha256">The expected SHA-256 of the file as downloaded, 64 hex digits.</param>
/// <param name="Length">The expected length in bytes, when known; a download that grows past it is stopped early.</param>
public sealed record RemoteFile(string FileName, string Sha256, long? Length = null);
