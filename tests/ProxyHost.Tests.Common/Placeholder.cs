namespace ProxyHost.Tests; internal static class Placeholder { }
