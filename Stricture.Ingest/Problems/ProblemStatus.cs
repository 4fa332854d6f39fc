namespace Stricture.Ingest.Problems;

/// <summary>A problem status known when the handler is compiled, so the OpenAPI document can list it.</summary>
public interface IProblemStatus
{
    static abstract int Code { get; }
}

public sealed class Status400BadRequest : IProblemStatus
{
    public static int Code => StatusCodes.Status400BadRequest;
}

public sealed class Status403Forbidden : IProblemStatus
{
    public static int Code => StatusCodes.Status403Forbidden;
}

public sealed class Status404NotFound : IProblemStatus
{
    public static int Code => StatusCodes.Status404NotFound;
}

public sealed class Status409Conflict : IProblemStatus
{
    public static int Code => StatusCodes.Status409Conflict;
}

public sealed class Status413PayloadTooLarge : IProblemStatus
{
    public static int Code => StatusCodes.Status413PayloadTooLarge;
}

public sealed class Status415UnsupportedMediaType : IProblemStatus
{
    public static int Code => StatusCodes.Status415UnsupportedMediaType;
}
