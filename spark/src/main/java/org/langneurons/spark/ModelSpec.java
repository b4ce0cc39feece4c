package org.langneurons.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.langneurons.model.LoadOptions;

/**
 * Which model a task loads and where: a checkpoint path every executor can read (shared storage: NFS, a FUSE mount of
 * S3, a copy baked into the image) or {@code default}, a device, and a precision. Only these strings travel to the
 * executors; the model is loaded there ({@link ExecutorModels}).
 *
 * <p>Device {@code auto} (the default) takes the GPU Spark assigned to the task ({@code spark.task.resource.gpu.amount
 * = 1}, {@code TaskContext.resources().get("gpu")}) and the CPU when the task has none, so one job runs unchanged on a
 * laptop in local mode and on a GPU cluster.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.of("/shared/Meta-Llama-3.1-70B");          // auto device, fp32
 * ModelSpec cpu = ModelSpec.of("default").withDevice("cpu");
 * }</pre>
 *
 * @param model  {@code default} or a checkpoint directory as each executor sees it
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param dtype  {@code fp32} or {@code fp16}
 */
public record ModelSpec(String model, String device, String dtype) implements Serializable {

    public ModelSpec {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is empty: give a checkpoint directory or 'default'");
        }
        if (!device.equals("auto")) {
            LoadOptions.parse(device, dtype);       // fails on the driver, not in every task
        } else {
            LoadOptions.parse("cpu", dtype);
        }
    }

    /** {@code model} on the task's GPU when it has one, else the CPU, in fp32. */
    public static ModelSpec of(String model) {
        return new ModelSpec(model, "auto", "fp32");
    }

    /** The same on {@code device}. */
    public ModelSpec withDevice(String newDevice) {
        return new ModelSpec(model, newDevice, dtype);
    }

    /** The same in {@code fp32} or {@code fp16}. */
    public ModelSpec withDtype(String newDtype) {
        return new ModelSpec(model, device, newDtype);
    }

    /**
     * The device of the running task: {@code device} unless it is {@code auto}; then the first GPU address Spark
     * assigned to the task ({@code gpu:N}), or {@code cpu} outside a task or without a GPU resource.
     */
    public String resolvedDevice() {
        if (!device.equals("auto")) {
            return device;
        }
        TaskContext task = TaskContext.get();
        if (task != null) {
            ResourceInformation gpu = task.resources().get("gpu").getOrElse(() -> null);
            if (gpu != null && gpu.addresses().length > 0) {
                return "gpu:" + gpu.addresses()[0];
            }
        }
        return "cpu";
    }

    /** The load options of the running task. */
    public LoadOptions loadOptions() {
        return LoadOptions.parse(resolvedDevice(), dtype);
    }
}
