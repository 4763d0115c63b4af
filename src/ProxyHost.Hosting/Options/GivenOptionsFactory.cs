using Microsoft.Extensions.Options;

namespace ProxyHost.Hosting;

/// <summary>
/// An options factory that starts from an object the caller already filled in, rather than a new one,
/// so that every property reaches the host without being copied by hand; configure callbacks and
/// validators still run on it.
/// </summary>
internal sealed class GivenOptionsFactory<TOptions>(
    TOptions given,
    IEnumerable<IConfigureOptions<TOptions>> setups,
    IEnumerable<IPostConfigureOptions<TOptions>> postConfigures,
    IEnumerable<IValidateOptions<TOptions>> validations)
    : OptionsFactory<TOptions>(setups, postConfigures, validations)
    where TOptions : class
{
    protected override TOptions CreateInstance(string name) => name == Options.DefaultName ? given : base.CreateInstance(name);
}
