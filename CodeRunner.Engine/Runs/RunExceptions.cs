namespace CodeRunner.Engine.Runs;

/// <summary>The request cannot run as it is (a bad path, an unknown language, a missing entry file, too much data); nothing ran.</summary>
public sealed class InvalidRunRequestException(string message) : Exception(message);

/// <summary>The language is known but its runtime image is missing; the message names the command that builds it.</summary>
public sealed class RuntimeUnavailableException(string message) : Exception(message);

/// <summary>Network mode cannot be used now (its firewall rules are not in place, or the server's limit of sessions is reached); the message says why.</summary>
public sealed class NetworkModeUnavailableException(string message) : Exception(message);

/// <summary>Input that could not be sent to a program; the message says what to do instead.</summary>
public sealed class InputNotSentException(string message) : Exception(message);

/// <summary>A run or a case asked for a limit above this server's ceiling; the message names both; nothing ran.</summary>
public sealed class LimitAboveCeilingException(string message, string? paramName = null) : ArgumentException(message, paramName);

/// <summary>A notebook kernel cannot start now: the session or the server has as many as it may; the message says which and what to do.</summary>
public sealed class KernelLimitException(string message) : Exception(message);
