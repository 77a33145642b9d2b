using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace ControlPlane.Deploy.Tests;

public static class Yaml
{
    /// <summary>Every document of a YAML file as plain dictionaries and lists, with merge keys (&lt;&lt;) applied.</summary>
    public static List<Dictionary<object, object>> Documents(string path)
    {
        var deserializer = new DeserializerBuilder().Build();
        using var reader = new StringReader(File.ReadAllText(path));
        var parser = new MergingParser(new Parser(reader));
        var documents = new List<Dictionary<object, object>>();
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
        {
            if (deserializer.Deserialize<Dictionary<object, object>>(parser) is { } document)
            {
                documents.Add(document);
            }
        }
        return documents;
    }

    public static Dictionary<object, object> Map(this object node, string key) => (Dictionary<object, object>)((Dictionary<object, object>)node)[key];

    public static object? Get(this object node, string key) => ((Dictionary<object, object>)node).GetValueOrDefault(key);

    public static List<object> List(this object node, string key) => (List<object>)((Dictionary<object, object>)node)[key];
}
