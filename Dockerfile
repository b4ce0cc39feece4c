# GPU container for LangNeurons: JDK 17, the library built with Maven, and CUDA libtorch 2.7.1 for DJL's PyTorch
# engine (DJL's CUDA natives are not on Maven Central, so the image takes libtorch from PyTorch's cu128 wheel).
#
#   docker build -t langneurons .
#   docker run --gpus all -v /path/to/Llama-3.1-8B:/models/llama:ro langneurons info --model /models/llama --device gpu
#
# (Jupyter and the notebooks join this image with the notebooks issue.)
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

RUN apt-get update && apt-get install -y --no-install-recommends \
        openjdk-17-jdk-headless maven python3 python3-pip ca-certificates \
    && rm -rf /var/lib/apt/lists/*

# libtorch with CUDA: DJL loads it from PYTORCH_LIBRARY_PATH and uses the cu128 JNI library shipped in pytorch-jni.
RUN pip3 install --no-cache-dir --break-system-packages torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128
ENV PYTORCH_LIBRARY_PATH=/usr/local/lib/python3.12/dist-packages/torch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128

WORKDIR /opt/langneurons
COPY pom.xml ./
COPY lib lib
RUN mvn -B -q --no-transfer-progress package -DskipTests && rm -rf /root/.m2

ENTRYPOINT ["java", "-jar", "/opt/langneurons/lib/target/langneurons.jar"]
CMD ["--help"]
