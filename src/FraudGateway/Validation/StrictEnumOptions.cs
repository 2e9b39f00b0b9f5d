using System.Collections;
using System.Reflection;

namespace FraudGateway.Validation;

// Enum-typed options, checked strictly before binding: a value that is not one of the enum's names (any case; no
// numbers) is reported with its own path, and left out of the binding so the rest of its section is still bound and
// checked (the configuration binder would stop the whole section at the first bad value).
internal static class StrictEnumOptions
{
    // Walks T's properties (nested options, lists and dictionaries of them) over the section; returns the paths of
    // the values it refused.
    public static List<string> Check(Type optionsType, IConfigurationSection section, ICollection<string> errors)
    {
        var refused = new List<string>();
        Walk(optionsType, section, errors, refused, depth: 0);
        return refused;
    }

    // The section without the refused values, for the binder.
    public static IConfigurationSection Without(IConfigurationSection section, List<string> refused)
    {
        var kept = section.AsEnumerable().Where(kv => kv.Value is not null && !refused.Contains(kv.Key, StringComparer.OrdinalIgnoreCase));
        return new ConfigurationBuilder().AddInMemoryCollection(kept).Build().GetSection(section.Path);
    }

    private static void Walk(Type type, IConfigurationSection section, ICollection<string> errors, List<string> refused, int depth)
    {
        if (depth > 8)
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite && !IsCollection(property.PropertyType, out _))
            {
                continue;
            }

            var child = section.GetSection(property.Name);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsEnum)
            {
                if (child.Value is { } value && !ConfigCheck.TryEnum(propertyType, value, out _))
                {
                    errors.Add($"{child.Path} '{value}' is not one of {string.Join(", ", Names(propertyType))}.");
                    refused.Add(child.Path);
                }
            }
            else if (IsCollection(propertyType, out var element))
            {
                if (element is not null)
                {
                    foreach (var item in child.GetChildren())
                    {
                        Walk(element, item, errors, refused, depth + 1);
                    }
                }
            }
            else if (propertyType.IsClass && propertyType != typeof(string) && propertyType.Namespace?.StartsWith("FraudGateway", StringComparison.Ordinal) == true)
            {
                Walk(propertyType, child, errors, refused, depth + 1);
            }
        }
    }

    // A list or dictionary of options classes: element is the options type (null for lists of plain values).
    private static bool IsCollection(Type type, out Type? element)
    {
        element = null;
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type) || !type.IsGenericType)
        {
            return false;
        }

        var last = type.GetGenericArguments()[^1];
        element = last.IsClass && last != typeof(string) ? last : null;
        return true;
    }

    // Declaration order, as the options' comments list them.
    private static IEnumerable<string> Names(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name);
}
