namespace GridGov.Deploy.Tests;

public class YamlTests
{
    [Fact]
    public void Deploy_folder_has_compose_and_manifests()
    {
        var files = Repo.YamlFiles().Select(f => Path.GetRelativePath(Repo.Deploy, f).Replace('\\', '/')).ToList();
        Assert.Contains("compose.yaml", files);
        Assert.True(files.Count(f => f.StartsWith("k8s/", StringComparison.Ordinal)) >= 4, string.Join(", ", files));
    }

    public static TheoryData<string> YamlFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Repo.YamlFiles()) data.Add(Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Every_yaml_file_parses_into_mapping_documents(string file)
    {
        var docs = Repo.LoadDocuments(Repo.PathOf(file));
        Assert.NotEmpty(docs);
        Assert.All(docs, d => Assert.NotEmpty(d.Children));
    }

    [Fact]
    public void Yaml_has_no_tabs_in_indentation()
    {
        foreach (var file in Repo.YamlFiles())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                Assert.False(lines[i].TrimEnd().Length > 0 && lines[i].TakeWhile(char.IsWhiteSpace).Contains('\t'),
                    $"{file}:{i + 1} indents with a tab");
        }
    }
}
