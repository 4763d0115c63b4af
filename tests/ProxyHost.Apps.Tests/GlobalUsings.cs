global using FluentAssertions;
global using Microsoft.Extensions.Logging;
global using ProxyHost.Tests;
global using Xunit;
