namespace FraudGateway.Model;

public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
