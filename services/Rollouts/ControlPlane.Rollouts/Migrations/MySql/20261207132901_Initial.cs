using System;
using Microsoft.EntityFrameworkCore.Migrations;
using MySql.EntityFrameworkCore.Metadata;

#nullable disable

namespace ControlPlane.Rollouts.Migrations.MySql
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "rollouts_agent_answers",
                columns: table => new
                {
                    ApplyId = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: false, collation: "utf8mb4_bin"),
                    Ok = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    Version = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Error = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    ReceivedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_agent_answers", x => x.ApplyId);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "rollouts_events",
                columns: table => new
                {
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    Stream = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Subject = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: false, collation: "utf8mb4_bin"),
                    Type = table.Column<int>(type: "int", nullable: false),
                    Payload = table.Column<byte[]>(type: "longblob", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_events", x => x.Revision);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "rollouts_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Holder = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Token = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAtMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_leases", x => x.Name);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "rollouts_outbox",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySQL:ValueGenerationStrategy", MySQLValueGenerationStrategy.IdentityColumn),
                    MessageId = table.Column<Guid>(type: "char(36)", nullable: false),
                    MessageType = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: false, collation: "utf8mb4_bin"),
                    Payload = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    TraceParent = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true, collation: "utf8mb4_bin"),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    LastError = table.Column<string>(type: "longtext", nullable: true, collation: "utf8mb4_bin")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_outbox", x => x.Sequence);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "rollouts_requests",
                columns: table => new
                {
                    RequestId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Method = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_bin"),
                    Response = table.Column<byte[]>(type: "longblob", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_requests", x => x.RequestId);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "rollouts_revision",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_revision", x => x.Id);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "rollouts_rollouts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_bin"),
                    App = table.Column<string>(type: "varchar(63)", maxLength: 63, nullable: false, collation: "utf8mb4_bin"),
                    ActiveApp = table.Column<string>(type: "varchar(63)", maxLength: 63, nullable: true, collation: "utf8mb4_bin"),
                    State = table.Column<int>(type: "int", nullable: false),
                    RequestId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true, collation: "utf8mb4_bin"),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    NeedsDriver = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    Generation = table.Column<long>(type: "bigint", nullable: false),
                    Body = table.Column<byte[]>(type: "longblob", nullable: false),
                    Work = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_rollouts", x => x.Id);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.InsertData(
                table: "rollouts_revision",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_events_Stream_Revision",
                table: "rollouts_events",
                columns: new[] { "Stream", "Revision" });

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_requests_CreatedAt",
                table: "rollouts_requests",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_rollouts_ActiveApp",
                table: "rollouts_rollouts",
                column: "ActiveApp",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_rollouts_App_CreatedAt",
                table: "rollouts_rollouts",
                columns: new[] { "App", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_rollouts_NeedsDriver",
                table: "rollouts_rollouts",
                column: "NeedsDriver");

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_rollouts_RequestId",
                table: "rollouts_rollouts",
                column: "RequestId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rollouts_agent_answers");

            migrationBuilder.DropTable(
                name: "rollouts_events");

            migrationBuilder.DropTable(
                name: "rollouts_leases");

            migrationBuilder.DropTable(
                name: "rollouts_outbox");

            migrationBuilder.DropTable(
                name: "rollouts_requests");

            migrationBuilder.DropTable(
                name: "rollouts_revision");

            migrationBuilder.DropTable(
                name: "rollouts_rollouts");
        }
    }
}
