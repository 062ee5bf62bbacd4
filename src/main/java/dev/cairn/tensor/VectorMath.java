package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.FLOATS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Small float-array helpers shared by the kernels. */
final class VectorMath {

    private VectorMath() {}

    static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        int i = 0;
        float sum = 0;
        if (len >= FLOATS.length()) {
            FloatVector acc = FloatVector.zero(FLOATS);
            for (int bound = FLOATS.loopBound(len); i < bound; i += FLOATS.length()) {
                acc = FloatVector.fromArray(FLOATS, a, aOff + i).fma(FloatVector.fromArray(FLOATS, b, bOff + i), acc);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < len; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }
}
