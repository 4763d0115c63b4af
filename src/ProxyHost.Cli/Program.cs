using ProxyHost.Cli;

return await CliApplication.RunAsync(args, SystemCliConsole.Instance).ConfigureAwait(false);
