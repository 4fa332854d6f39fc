using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Stricture.Storage.Configuration;

/// <summary>
/// A whole-number setting's range, reported as the operator wrote it: the setting's variable name
/// (its <see cref="ConfigurationKeyNameAttribute"/>), the range and the value, such as
/// "STRICTURE_SERVER_JWT_CLOCK_SKEW_SECONDS must be a whole number from 0 to 300, not '900'."
/// (The generated copy of <see cref="RangeAttribute"/> ignores a custom message.)
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingRangeAttribute(long minimum, long maximum) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
        if (number >= minimum && number <= maximum)
        {
            return ValidationResult.Success;
        }
        var property = validationContext.MemberName is { } member ? validationContext.ObjectType.GetProperty(member) : null;
        var setting = property?.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? validationContext.DisplayName;
        return new ValidationResult($"{setting} must be a whole number from {minimum} to {maximum}, not '{number}'.");
    }
}
