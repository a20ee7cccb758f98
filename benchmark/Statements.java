import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Prints SQL constants of the built server, one per line with whitespace collapsed, for explain.sh: the plans it shows
 * are those of the statements the server runs, however their text is put together in the source.
 * <p>
 * {@code java -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/main/*' benchmark/Statements.java Class.FIELD ...}
 */
public class Statements {

    public static void main(String[] args) throws Exception {
        for (String name : args) {
            int dot = name.lastIndexOf('.');
            Field field = Class.forName(name.substring(0, dot)).getDeclaredField(name.substring(dot + 1));
            field.setAccessible(true);
            Object value = field.get(null);
            if (value instanceof Record statements) {
                // a statement with several forms (GroupMemberWrites.Statements): the first, the one most requests run
                Method first = statements.getClass().getRecordComponents()[0].getAccessor();
                first.setAccessible(true);
                value = first.invoke(statements);
            }
            System.out.println(((String) value).replaceAll("\\s+", " ").trim());
        }
    }
}
