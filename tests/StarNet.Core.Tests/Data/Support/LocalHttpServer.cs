using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StarNet.Core.Tests.Data.Support;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (a free port) for tests: serves fixed bodies by path,
/// 404 for anything else, one request per connection. Stops when disposed.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, byte[]> files = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int requests;

    public LocalHttpServer()
    {
        listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public int Requests => Volatile.Read(ref requests);

    public void Serve(string path, byte[] body)
    {
        lock (files)
        {
            files[path.TrimStart('/')] = body;
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    int read = await stream.ReadAsync(buffer, stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                Interlocked.Increment(ref requests);
                string target = request.ToString().Split(' ')[1].TrimStart('/');
                byte[]? body;
                lock (files)
                {
                    files.TryGetValue(Uri.UnescapeDataString(target), out body);
                }

                string status = body is null ? "404 Not Found" : "200 OK";
                body ??= Encoding.ASCII.GetBytes("not found");
                string head = $"HTTP/1.1 {status}\r\nContent-Length: {body.Length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stop.Token);
                await stream.WriteAsync(body, stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }
}
