using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Stricture.Storage.Configuration;

/// <summary>
/// How every Stricture service reads its settings: the configuration binder, onto options properties
/// whose <see cref="ConfigurationKeyNameAttribute"/> is the setting's environment-variable name (so
/// the same name works as a variable, a <c>--NAME=value</c> switch or an appsettings key), checked
/// before the host starts. The binder reads a view in which an empty value means unset and
/// surrounding spaces are ignored, as an operator expects of <c>NAME=</c> in a manifest.
/// </summary>
public static class SettingsBinding
{
    public static OptionsBuilder<TOptions> BindSettings<TOptions>(this OptionsBuilder<TOptions> builder) where TOptions : class =>
        builder.Configure<IConfiguration>((options, configuration) => SetValues(configuration).Bind(options)).ValidateOnStart();

    private static IConfiguration SetValues(IConfiguration configuration) =>
        new ConfigurationBuilder().AddInMemoryCollection(configuration.AsEnumerable()
                .Where(setting => !string.IsNullOrWhiteSpace(setting.Value))
                .Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value!.Trim())))
            .Build();
}
