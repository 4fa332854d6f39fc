using System.Text.Json;

namespace Stricture.Tests.Infrastructure;

/// <summary>An RFC 9457 problem body as the API returns it.</summary>
public sealed record Problem(string Type, string Title, int Status, string Detail, string Code, string? Field, JsonElement Raw)
{
    public static async Task<Problem> AssertAsync(HttpResponseMessage response, string? expectedCode = null, string? expectedField = null)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.JsonBodyAsync();
        var problem = new Problem(
            json.GetProperty("type").GetString()!,
            json.GetProperty("title").GetString()!,
            json.GetProperty("status").GetInt32(),
            json.GetProperty("detail").GetString()!,
            json.GetProperty("code").GetString()!,
            json.TryGetProperty("field", out var field) ? field.GetString() : null,
            json);
        Assert.Equal((int)response.StatusCode, problem.Status);
        Assert.Equal("urn:stricture:problem:" + problem.Code, problem.Type);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail), "a problem must say what is wrong");
        Assert.True(json.TryGetProperty("error", out var error) && error.GetString() == problem.Detail,
            $"a problem must carry the upstream server's 'error' member with its one-line message: {json}");
        if (expectedCode is not null)
        {
            Assert.Equal(expectedCode, problem.Code);
        }
        if (expectedField is not null)
        {
            Assert.Equal(expectedField, problem.Field);
        }
        return problem;
    }
}
