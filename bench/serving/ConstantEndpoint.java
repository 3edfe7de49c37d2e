// The ceiling of the HTTP stack `cairn serve` runs on: a Javalin endpoint that answers every
// POST /invocations with a constant, on Javalin's defaults, in a JVM of its own like `cairn serve`.
// It is not a second serving implementation: no model, no parsing of the body.
// run.sh starts it with the JDK's source launcher on the classpath the launcher built:
//   java -cp 'cairn-cli/target/lib/*' bench/serving/ConstantEndpoint.java PORT
import io.javalin.Javalin;

public class ConstantEndpoint {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.routes.post("/invocations", ctx -> ctx.contentType("application/json").result("{\"predictions\":[0]}"));
        }).start("127.0.0.1", port);
        System.out.println("READY http://127.0.0.1:" + port);
        System.out.flush();
    }
}
