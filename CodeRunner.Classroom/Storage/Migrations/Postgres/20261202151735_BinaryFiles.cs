using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeRunner.Classroom.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BinaryFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Data",
                table: "ProjectFiles",
                type: "bytea",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Data",
                table: "ProjectFiles");
        }
    }
}
