package org.collab4j.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * A Java agent that counts DJL's native calls: every call site of {@code ai.djl.pytorch.jni.PyTorchLibrary} (all of
 * DJL's PyTorch native entry points are methods of that class) in DJL's classes gets a call to
 * {@link NativeCalls#call} before it, and the learner's training steps' {@code trainBatch(int)} methods (classes of
 * {@code org.collab4j.train} and its sub-packages whose names end in {@code Step} or {@code Engine}) are bracketed by
 * {@link NativeCalls#stepStart} / {@link NativeCalls#stepEnd}, so that calls can be told apart per step.
 *
 * <p>Test scope only: the build packs it into {@code lib/target/native-call-counter/native-call-counter.jar}
 * (with ASM beside it), which Surefire passes as {@code -javaagent}; {@code bench} can be run with it too.
 */
public final class NativeCallAgent {

    static final String LIBRARY = "ai/djl/pytorch/jni/PyTorchLibrary";
    static final String COUNTER = "org/collab4j/agent/NativeCalls";

    private NativeCallAgent() {}

    /**
     * Installs the transformer.
     *
     * @param args ignored
     * @param instrumentation the JVM's instrumentation
     */
    public static void premain(String args, Instrumentation instrumentation) {
        NativeCalls.installed = true;
        instrumentation.addTransformer(new Transformer());
    }

    private static final class Transformer implements ClassFileTransformer {
        @Override
        public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                byte[] bytes) {
            if (name == null) {
                return null;
            }
            boolean djl = name.startsWith("ai/djl/pytorch/") && !name.equals(LIBRARY);
            // The training engines and steps (org.collab4j.train and its sub-packages): HostEngine, DenseStep, ...
            boolean step = name.startsWith("org/collab4j/train/")
                    && (name.endsWith("Step") || name.endsWith("Engine"));
            if (!djl && !step) {
                return null;
            }
            try {
                ClassReader reader = new ClassReader(bytes);
                ClassWriter writer = new ClassWriter(reader, 0);
                boolean[] changed = {false};
                reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                            String[] exceptions) {
                        MethodVisitor mv = super.visitMethod(access, method, descriptor, signature, exceptions);
                        if (djl) {
                            return new CallSites(mv, changed);
                        }
                        if (method.equals("trainBatch") && descriptor.equals("(I)V")) {
                            changed[0] = true;
                            return new StepBrackets(mv);
                        }
                        return mv;
                    }
                }, 0);
                return changed[0] ? writer.toByteArray() : null;
            } catch (RuntimeException e) {
                System.err.println("native-call-counter: cannot instrument " + name + ": " + e);
                return null;
            }
        }
    }

    /** Puts {@code NativeCalls.call("name")} before every call of a PyTorchLibrary method. */
    private static final class CallSites extends MethodVisitor {
        private final boolean[] changed;

        CallSites(MethodVisitor mv, boolean[] changed) {
            super(Opcodes.ASM9, mv);
            this.changed = changed;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (owner.equals(LIBRARY) && !name.equals("<init>")) {
                super.visitLdcInsn(name);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, COUNTER, "call", "(Ljava/lang/String;)V", false);
                changed[0] = true;
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            // One String pushed on top of whatever the call site had.
            super.visitMaxs(maxStack + 1, maxLocals);
        }
    }

    /** {@code NativeCalls.stepStart()} at entry, {@code NativeCalls.stepEnd()} before every return. */
    private static final class StepBrackets extends MethodVisitor {
        StepBrackets(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitMethodInsn(Opcodes.INVOKESTATIC, COUNTER, "stepStart", "()V", false);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, COUNTER, "stepEnd", "()V", false);
            }
            super.visitInsn(opcode);
        }
    }
}
