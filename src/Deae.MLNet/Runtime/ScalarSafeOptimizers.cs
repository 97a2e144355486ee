using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Deae.MLNet.Runtime;

/// <summary>TorchSharp optimizers whose numbers cannot be finalised while libtorch reads them.</summary>
internal static class ScalarSafeOptimizers
{
    /// <summary>
    /// TorchSharp's Adam with every number of its update held as a <see cref="Scalar"/> that stays
    /// referenced until libtorch has used it (see <see cref="ScalarSafeOps"/> for why). TorchSharp's own
    /// <c>Adam.step</c> passes seven temporary Scalars per parameter; a collection triggered by another
    /// thread (here: the CLI's progress bar) finalised one of them during <c>addcmul_</c> and killed a
    /// 2400-step run at step ~2000 with "Scalar.h toFloat: Expected false to be true". The update is the
    /// same operations in the same order as TorchSharp 0.107's, so results are bit-identical, and the state
    /// is TorchSharp's own, so checkpoints written by either load into the other: TorchSharp records an
    /// optimizer's simple class name in its state files, which is why this class is called Adam too.
    /// </summary>
    internal sealed class Adam : TorchSharp.Modules.Adam
    {
        /// <summary>
        /// Adam over <paramref name="parameters"/> with TorchSharp's defaults for everything but the learning
        /// rate: no weight decay, no AMSGrad, minimising — the only update <see cref="step"/> implements.
        /// </summary>
        public Adam(IEnumerable<Parameter> parameters, double learningRate)
            : base(parameters, lr: learningRate)
        {
        }

        /// <inheritdoc/>
        public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
        {
            var options = (Options)group.Options;
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value;
            double eps = options.eps!.Value, learningRate = options.LearningRate!.Value;
            using var beta1Scalar = beta1.ToScalar();
            using var beta2Scalar = beta2.ToScalar();
            using var oneMinusBeta1 = (1 - beta1).ToScalar();
            using var oneMinusBeta2 = (1 - beta2).ToScalar();
            using var epsScalar = eps.ToScalar();

            foreach (var parameter in group.Parameters)
            {
                var state = (State)_state[parameter.Handle];
                var grad = parameter.grad;
                if (grad is null)
                {
                    continue;
                }

                state.step += 1;
                double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
                double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
                state.exp_avg.mul_(beta1Scalar).add_(grad, oneMinusBeta1);
                state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad.conj(), oneMinusBeta2);

                using var sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
                var denominator = state.exp_avg_sq.sqrt().div(sqrtBiasCorrection2).add_(epsScalar, ScalarSafeOps.One);
                using var negativeStepSize = (-(learningRate / biasCorrection1)).ToScalar();
                parameter.addcdiv_(state.exp_avg, denominator, negativeStepSize);
            }
        }, closure);
    }
}
