using System.Security.Cryptography;
using System.Text;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;

namespace Stricture.Storage.BlastRadius;

/// <summary>
/// Where the blast-radius objects live, beside the organization's other derived objects:
/// <code>
/// &lt;root&gt;org=&lt;o&gt;/blast/system=&lt;h&gt;/project=&lt;p&gt;/service=&lt;s&gt;.json   one service's part in one system (SystemEntry)
/// &lt;root&gt;org=&lt;o&gt;/blast/services/project=&lt;p&gt;/service=&lt;s&gt;.json    the systems a service's entries are in (ServiceFootprint)
/// </code>
/// A system's name is free text (<c>CommerceCore:api-service</c>), so its key segment <c>h</c> is the
/// first 32 hex digits of its name's SHA-256; the entries carry the name itself.
/// </summary>
public sealed class BlastRadiusKeys(RecordKeys keys)
{
    public string SystemPrefix(string organization, string system) => $"{keys.Root}org={organization}/blast/system={Hash(system)}/";

    public string SystemEntry(ServiceIdentity service, string system) =>
        $"{SystemPrefix(service.Organization, system)}project={service.Project}/service={service.Service}.json";

    public string Footprint(ServiceIdentity service) =>
        $"{keys.Root}org={service.Organization}/blast/services/project={service.Project}/service={service.Service}.json";

    public static string Hash(string system) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(system)))[..32];
}
