using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Stricture.Tests.Cli;

/// <summary>
/// The server's side of the connection: the headers and byte count of every POST /v1/artifacts as
/// it reached Kestrel, before the server's own body reader decompressed it.
/// </summary>
public sealed class ArrivingRequests : IStartupFilter
{
    public sealed record Arrival(string? ContentEncoding, long BytesOnTheWire);

    public ConcurrentQueue<Arrival> Posts { get; } = new();

    public void Register(IServiceCollection services) => services.AddSingleton<IStartupFilter>(this);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path == "/v1/artifacts")
            {
                // Count what arrives, then hand the same bytes on, so the server reads exactly what was sent.
                var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                Posts.Enqueue(new Arrival(context.Request.Headers.ContentEncoding.ToString(), body.Length));
                body.Position = 0;
                context.Request.Body = body;
            }
            await nextMiddleware(context);
        });
        next(app);
    };
}
