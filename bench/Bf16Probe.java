import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Does DJL's PyTorch engine survive a bfloat16 array? One way a run (the JVM may abort, so run each in a child
 * process and read its exit status; 134 = SIGABRT):
 *
 *   java -cp lib/target/langneurons.jar bench/Bf16Probe.java cast|create|matmul [cpu|gpu]
 *
 * cast: a float32 array's toType(BFLOAT16); create: zeros of BFLOAT16; matmul: cast, matmul in bf16, cast back.
 * Prints the libtorch version and "ok" with a checksum when it survives.
 */
public final class Bf16Probe {
    public static void main(String[] args) {
        String how = args.length > 0 ? args[0] : "cast";
        Device device = args.length > 1 && args[1].startsWith("gpu") ? Device.gpu() : Device.cpu();
        Engine engine = Engine.getEngine("PyTorch");
        System.out.println("engine " + engine.getEngineName() + " " + engine.getVersion() + " on " + device);
        System.out.flush();
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray x = m.arange(0f, 16f).reshape(4, 4).div(8f);
            NDArray y = switch (how) {
                case "create" -> m.zeros(new Shape(4, 4), DataType.BFLOAT16);
                case "cast" -> x.toType(DataType.BFLOAT16, false);
                case "matmul" -> {
                    NDArray b = x.toType(DataType.BFLOAT16, false);
                    yield b.matMul(b).toType(DataType.FLOAT32, false);
                }
                default -> throw new IllegalArgumentException("cast, create or matmul");
            };
            System.out.println("ok " + how + " dtype " + y.getDataType() + " sum "
                    + y.toType(DataType.FLOAT32, false).sum().getFloat());
        }
    }
}
