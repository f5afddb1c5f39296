using CodeRunner.Engine.Sql;

namespace CodeRunner.Tests.Unit;

public sealed class SqlScriptTests
{
    [Fact]
    public void Split_AtSemicolons_OutsideStringsNamesCommentsAndDollarQuotes()
    {
        const string script = """
            -- a comment; not a statement
            CREATE TABLE "odd;name" (v text);
            INSERT INTO "odd;name" VALUES ('a;b'), (E'c\';d'), ('it''s; fine');
            /* block; /* nested; */ still; */ SELECT 1;
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            SELECT $$x;y$$, 2
            """;
        var statements = SqlScript.Split(script);
        Assert.Equal(
        [
            "CREATE TABLE \"odd;name\" (v text)",
            "INSERT INTO \"odd;name\" VALUES ('a;b'), (E'c\\';d'), ('it''s; fine')",
            "SELECT 1",
            "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
            "SELECT $$x;y$$, 2",
        ], statements.Select(s => s.Text));
        Assert.Equal((2, 1), SqlScript.LineAndColumn(script, statements[0].Offset));
        Assert.Equal((4, 35), SqlScript.LineAndColumn(script, statements[2].Offset));
    }

    [Fact]
    public void BackslashAtTheStartOfALine_IsAMetaCommand_ButNotInsideAString()
    {
        var statements = SqlScript.Split("SELECT 1;\n  \\! rm -rf /\nSELECT '\n\\! not a command';\n");
        Assert.Equal(["SELECT 1", "\\! rm -rf /", "SELECT '\n\\! not a command'"], statements.Select(s => s.Text));
        Assert.Equal([false, true, false], statements.Select(s => s.IsMetaCommand));
    }

    [Fact]
    public void PositionalParameter_IsNotADollarQuote()
    {
        var statements = SqlScript.Split("PREPARE p AS SELECT $1; EXECUTE p(1);");
        Assert.Equal(["PREPARE p AS SELECT $1", "EXECUTE p(1)"], statements.Select(s => s.Text));
    }

    [Fact]
    public void UnterminatedString_RunsToTheEnd_AsOneStatement()
    {
        Assert.Single(SqlScript.Split("SELECT 'no end; SELECT 2;"));
        Assert.Empty(SqlScript.Split("  -- only a comment\n/* and this */ "));
    }

    [Fact]
    public void LongScript_SplitsInLinearTime()
    {
        var script = string.Concat(Enumerable.Repeat("INSERT INTO t VALUES ('x'); -- note\n", 50_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(50_000, SqlScript.Split(script).Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
    }

    [Theory]
    [InlineData("create table t (x int)", -1, "CREATE TABLE")]
    [InlineData("CREATE OR REPLACE VIEW v AS SELECT 1", -1, "CREATE VIEW")]
    [InlineData("create unique index i on t (x)", -1, "CREATE INDEX")]
    [InlineData("drop table if exists t", -1, "DROP TABLE")]
    [InlineData("insert into t values (1), (2)", 2, "INSERT 0 2")]
    [InlineData("update t set x = 1", 5, "UPDATE 5")]
    [InlineData("delete from t", 0, "DELETE 0")]
    [InlineData("create table u as select 1", 1, "SELECT 1")]
    [InlineData("begin", -1, "BEGIN")]
    [InlineData("end", -1, "COMMIT")]
    [InlineData("truncate t", -1, "TRUNCATE TABLE")]
    [InlineData("create materialized view m as select 1", -1, "CREATE MATERIALIZED VIEW")]
    public void CommandTag_IsPsqls(string statement, int rows, string tag) => Assert.Equal(tag, SqlOutput.CommandTag(statement, rows));

    [Fact]
    public void Table_AlignsNumbersRight_TextLeft_AndShowsNullAsNothing()
    {
        var text = SqlOutput.Table(["id", "name"], ["integer", "text"], [["1", "Ada"], ["10", null], ["100", "Line\nbreak"]], more: false);
        Assert.Equal(" id  |    name\n-----+------------\n   1 | Ada\n  10 |\n 100 | Line↵break\n(3 rows)\n\n", text);
    }
}
