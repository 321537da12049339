REVISION	UPDATED                 	STATUS    	CHART          	APP VERSION	DESCRIPTION     
1       	Mon Dec  7 06:46:43 2026	superseded	multitier-0.1.0	1.0        	Install complete
3       	Mon Dec  7 06:46:51 2026	deployed  	multitier-0.1.0	1.0        	Rollback to 1   
