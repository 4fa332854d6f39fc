using Stricture.Ingest.Audit;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Startup;
using Stricture.Ingest.Telemetry;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// <c>Stricture.Ingest webhooks ...</c>, with the server's own configuration:
/// <list type="bullet">
/// <item><c>dead-letters</c>: lists the deliveries that failed for good, with their last reason;</item>
/// <item><c>redeliver &lt;delivery-id&gt;</c> or <c>redeliver --all</c>: one more attempt of dead letters, now;</item>
/// <item><c>deliver</c>: one dispatch pass (what a function deployment runs on a schedule).</item>
/// </list>
/// Safe beside running servers on every driver (attempts are claimed by create-if-absent; it takes
/// no data-directory lock). Exit codes: 0 done, 1 could not run (usage, configuration, storage),
/// 2 done but a redelivery failed (the delivery stays a dead letter).
/// </summary>
internal static class WebhooksCommand
{
    public const string Name = "webhooks";

    private const string Usage = "usage: webhooks dead-letters | webhooks redeliver <delivery-id>|--all | webhooks deliver  [--SETTING=value ...]";

    public static async Task<int> RunAsync(string[] args)
    {
        var (verb, target, settings) = args switch
        {
            ["dead-letters", .. var rest] => ("dead-letters", null, rest),
            ["deliver", .. var rest] => ("deliver", null, rest),
            ["redeliver", var id, .. var rest] when !id.StartsWith("--", StringComparison.Ordinal) || id == "--all" => ("redeliver", id, rest),
            _ => ((string?)null, (string?)null, args),
        };
        if (verb is null)
        {
            Console.Error.WriteLine($"{Name}: {Usage}");
            return 1;
        }

        var builder = ServiceHost.CreateBuilder(settings);
        builder.Services.AddStrictureOptions(functionMode: false);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRecordStore(startupWork: false); // no lock: it runs beside the server
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddWebhooks(dispatch: false);
        await using var app = builder.Build();
        if (ServiceHost.ReportRefusedSettings(app.Services, Name))
        {
            return 1;
        }
        var dispatcher = app.Services.GetRequiredService<WebhookDispatcher>();
        var ledger = app.Services.GetRequiredService<DeliveryLedger>();
        try
        {
            return verb switch
            {
                "dead-letters" => await ListAsync(ledger, dispatcher),
                "deliver" => await DeliverAsync(dispatcher),
                _ => await RedeliverAsync(ledger, dispatcher, target!),
            };
        }
        catch (Exception exception) when (exception is InvalidOperationException or ObjectStoreUnavailableException or IOException)
        {
            Console.Error.WriteLine($"{Name}: {exception.Message}");
            return 1;
        }
    }

    private static async Task<int> ListAsync(DeliveryLedger ledger, WebhookDispatcher dispatcher)
    {
        var count = 0;
        await foreach (var record in ledger.ListDeadLettersAsync(CancellationToken.None))
        {
            if (!record.IsDeadLetter || await dispatcher.ReadEnqueuedAsync(record, CancellationToken.None) is not { } delivery)
            {
                continue;
            }
            var last = await ledger.ReadOutcomeAsync(record, record.LastAttempt, AttemptOutcomes.Dead, CancellationToken.None);
            Console.WriteLine(
                $"{record.Id} webhook={delivery.Webhook} run={delivery.Organization}/{delivery.Project}/{delivery.Service}/{delivery.RunId} " +
                $"attempts={record.LastAttempt} at={last?.At} reason=\"{last?.Reason}\"");
            count++;
        }
        Console.WriteLine($"{count} dead letters.");
        return 0;
    }

    private static async Task<int> DeliverAsync(WebhookDispatcher dispatcher)
    {
        var report = await dispatcher.RunPassAsync(CancellationToken.None);
        Console.WriteLine($"{report.Pending} pending, {report.Due} due: {report.Delivered} delivered, {report.Retried} to retry, {report.DeadLettered} dead letters.");
        return 0;
    }

    private static async Task<int> RedeliverAsync(DeliveryLedger ledger, WebhookDispatcher dispatcher, string target)
    {
        var all = target == "--all";
        var (found, failed) = (0, 0);
        await foreach (var record in ledger.ListDeadLettersAsync(CancellationToken.None))
        {
            if ((!all && record.Id != target) || !record.IsDeadLetter || await dispatcher.ReadEnqueuedAsync(record, CancellationToken.None) is not { } delivery)
            {
                continue;
            }
            found++;
            var outcome = await dispatcher.AttemptAsync(record, delivery, redelivery: true, CancellationToken.None);
            if (outcome?.Outcome == AttemptOutcomes.Delivered)
            {
                Console.WriteLine($"{record.Id} delivered ({outcome.Reason}).");
            }
            else
            {
                failed++;
                Console.WriteLine($"{record.Id} is still a dead letter: {outcome?.Reason ?? "another process is redelivering it"}.");
            }
        }
        if (found == 0 && !all)
        {
            Console.Error.WriteLine($"{Name}: no dead letter has the delivery id '{target}' (see 'webhooks dead-letters').");
            return 1;
        }
        Console.WriteLine($"Redelivered {found - failed} of {found} dead letters.");
        return failed == 0 ? 0 : 2;
    }
}
