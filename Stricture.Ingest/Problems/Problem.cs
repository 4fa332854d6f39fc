using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Stricture.Ingest.Problems;

/// <summary>
/// A <see cref="RequestProblem"/> answer whose type names its status. A handler returning
/// <c>Results&lt;Ok&lt;T&gt;, Problem&lt;Status404NotFound&gt;, ...&gt;</c> so tells the OpenAPI
/// document every status it answers, with the body written exactly as <see cref="ProblemHttpResult"/>
/// writes it (through the problem-details service).
/// </summary>
public sealed class Problem<TStatus> : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult<ProblemDetails>
    where TStatus : IProblemStatus
{
    private readonly ProblemHttpResult _result;

    internal Problem(RequestProblem problem)
    {
        Details = problem;
        _result = problem.ToResult();
    }

    /// <summary>The problem as the handler stated it (status, code, detail).</summary>
    public RequestProblem Details { get; }

    public int? StatusCode => _result.StatusCode;

    public ProblemDetails? Value => _result.ProblemDetails;

    public Task ExecuteAsync(HttpContext httpContext) => _result.ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(TStatus.Code, typeof(ProblemDetails), ["application/problem+json"]));
}
