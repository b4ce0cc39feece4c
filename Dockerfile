# GPU container for LangNeurons: JDK 17, the library built with Maven, CUDA libtorch 2.7.1 for DJL's PyTorch engine
# (DJL's CUDA natives are not on Maven Central, so the image takes libtorch from PyTorch's cu128 wheel at build time),
# Jupyter with the Java kernel (env/setup.sh's kernel spec), and the notebooks.
#
#   docker build -t langneurons .
#   docker run --gpus all -p 8888:8888 -v /path/to/Llama-3.1-8B:/models/llama:ro langneurons
#
# then open http://localhost:8888 (the token is printed), and in a notebook's parameter cell set
# modelDir = "/models/llama", device = "gpu", dtype = "fp16". Executed notebooks can be written to a mounted /out.
# The CLI instead: docker run --gpus all -v ...:/models/llama:ro --entrypoint java langneurons \
#   -jar /opt/langneurons/lib/target/langneurons.jar info --model /models/llama --device gpu
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

RUN apt-get update && apt-get install -y --no-install-recommends \
        openjdk-17-jdk-headless maven npm python3 python3-pip ca-certificates \
        jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel libjemalloc2 \
    && rm -rf /var/lib/apt/lists/*

# libtorch with CUDA: DJL loads it from PYTORCH_LIBRARY_PATH and uses the cu128 JNI library shipped in pytorch-jni.
RUN pip3 install --no-cache-dir --break-system-packages torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128
ENV PYTORCH_LIBRARY_PATH=/usr/local/lib/python3.12/dist-packages/torch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128

WORKDIR /opt/langneurons
COPY pom.xml ./
COPY lib lib
COPY spark spark
COPY env env
COPY notebooks notebooks
# The same steps as env/setup.sh without its apt part: the jar, the kernel spec (with jemalloc preloaded, as
# env/allocator.sh), plotly.js into the cache.
RUN mvn -B -q --no-transfer-progress package -DskipTests -pl lib -am \
    && bash env/install-kernel.sh \
    && java -cp lib/target/langneurons.jar org.langneurons.report.Plotly \
    && rm -rf /root/.m2

ENV LANGNEURONS_OUT=/out
EXPOSE 8888
CMD ["jupyter", "notebook", "--ip=0.0.0.0", "--port=8888", "--no-browser", "--allow-root", \
     "--notebook-dir=/opt/langneurons/notebooks"]
