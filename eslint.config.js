// ESLint (flat config): typescript-eslint's recommended type-checked rules and React's hooks
// rules. Formatting is Prettier's (`npm run lint` runs both). A rule switched off here, or in a
// file, says why on the same line.

import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/', 'dist-bench/', 'node_modules/', 'test/fixtures/', 'bench/ref-bench']},
	js.configs.recommended,
	...tseslint.configs.recommendedTypeChecked,
	reactHooks.configs.flat.recommended,
	{
		languageOptions: {
			globals: globals.node,
			parserOptions: {
				projectService: {allowDefaultProject: ['*.js', 'scripts/*.mjs']},
				tsconfigRootDir: import.meta.dirname,
			},
		},
		rules: {
			'@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_'}],
		},
	},
	{
		files: ['**/*.js', '**/*.mjs'],
		...tseslint.configs.disableTypeChecked,
	},
);
