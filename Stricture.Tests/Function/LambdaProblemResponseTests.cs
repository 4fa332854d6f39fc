using Stricture.Function.Lambda;

namespace Stricture.Tests.Function;

/// <summary>The Lambda adapter's own problems have the body every other problem of the server has.</summary>
public sealed class LambdaProblemResponseTests
{
    [Fact]
    public void A_too_large_response_is_answered_with_the_servers_problem_body()
    {
        var response = LambdaPayloadLimit.ProblemResponse(7_000_000);

        Assert.Equal(500, response.StatusCode);
        Assert.Equal("application/problem+json", response.Headers["Content-Type"]);
        Assert.True(response.Body!.StartsWith(
                "{\"type\":\"urn:stricture:problem:response-too-large\",\"title\":\"The response is too large for a Lambda function.\",\"status\":500,\"detail\":\"The response is 7,000,000 bytes",
                StringComparison.Ordinal),
            $"the body must start with type, title, status and detail, in that order: {response.Body}");
        Assert.True(response.Body.Contains("\"code\":\"response-too-large\",\"limit\":6291556,\"error\":\"The response is 7,000,000 bytes", StringComparison.Ordinal),
            $"the body must end with the code, the limit and the upstream server's error member (the detail): {response.Body}");
    }

    [Fact]
    public void A_timed_out_invocation_is_a_retryable_problem()
    {
        var response = InvocationTimeLimit.ProblemResponse();

        Assert.Equal(503, response.StatusCode);
        Assert.Equal("5", response.Headers["Retry-After"]);
        Assert.Contains("\"code\":\"function-timeout\"", response.Body, StringComparison.Ordinal);
        var problem = System.Text.Json.JsonDocument.Parse(response.Body!).RootElement;
        Assert.True(problem.GetProperty("error").GetString() == problem.GetProperty("detail").GetString(),
            $"the adapter's own problems carry the error member too: {response.Body}");
    }
}
