import { Type, type Static } from '@sinclair/typebox';

export const ErrorBodySchema = Type.Object(
  {
    message: Type.String({ description: 'What went wrong.' }),
    errors: Type.Array(Type.Object({ description: Type.String({ description: 'One detail.' }) }), {
      description: 'More specific descriptions.',
    }),
    trackingId: Type.String({ description: 'The same value as the trackingid response header.' }),
  },
  {
    $id: 'Error',
    description: 'The Webex error body.',
    examples: [
      {
        message: 'Person not found.',
        errors: [{ description: 'Person not found.' }],
        trackingId: 'ROLLCALL_0F8FAD5B-D9CB-469F-A165-70867728950E',
      },
    ],
  },
);

export type ErrorBody = Static<typeof ErrorBodySchema>;

export const ErrorBodyRef = Type.Unsafe<ErrorBody>(Type.Ref('Error'));
