using System.Security.Cryptography;
using System.Text;
using FraudGateway.Captcha;

namespace FraudGateway.IntegrationTests.TestSupport;

// What a client does with a proof-of-work challenge, in C# for the tests.
public static class ProofOfWorkSolver
{
    public static string Solve(string challenge, int difficulty) => Find(challenge, bits => bits >= difficulty);

    public static string FindFailing(string challenge, int difficulty) => Find(challenge, bits => bits < difficulty);

    private static string Find(string challenge, Func<int, bool> accept)
    {
        for (var nonce = 0L; ; nonce++)
        {
            var token = challenge + ":" + nonce;
            if (accept(ProofOfWorkProvider.LeadingZeroBits(SHA256.HashData(Encoding.ASCII.GetBytes(token)))))
            {
                return token;
            }
        }
    }
}
