import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a SQL script statement by statement and prints each statement and its result rows, like {@code psql -e}. Used by
 * explain.sh when psql is not installed: {@code java -cp postgresql.jar benchmark/Explain.java JDBC_URL USER FILE}.
 * Statements end with a ';' at the end of a line; lines starting with '--' are printed as they are.
 */
public class Explain {
    public static void main(String[] args) throws Exception {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(Path.of(args[2]))) {
            if (current.length() == 0 && line.startsWith("--")) {
                statements.add(line);
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                statements.add(current.toString().strip());
                current.setLength(0);
            }
        }
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args.length > 3 ? args[3] : "");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                System.out.println(sql);
                if (sql.startsWith("--")) {
                    continue;
                }
                if (statement.execute(sql.substring(0, sql.length() - 1))) {
                    try (ResultSet rows = statement.getResultSet()) {
                        ResultSetMetaData meta = rows.getMetaData();
                        while (rows.next()) {
                            StringBuilder out = new StringBuilder();
                            for (int i = 1; i <= meta.getColumnCount(); i++) {
                                out.append(i > 1 ? " | " : "").append(rows.getString(i));
                            }
                            System.out.println(out);
                        }
                    }
                }
                System.out.println();
            }
        }
    }
}
